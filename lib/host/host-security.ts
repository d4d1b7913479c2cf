import { isRecord } from "../synth/terraform-values";
import { EngineClient } from "./engine-client";
import { classifyEngineError, EngineUnavailableError } from "./engine-errors";

/** What the engine's host enforces, for CIS 5.2 (AppArmor) and 5.3 (SELinux). */
export interface HostSecurity {
  /** Undefined when the engine did not say (then both rules report "not applicable: unknown"). */
  readonly hostHasAppArmor?: boolean;
  readonly hostHasSELinux?: boolean;
}

/**
 * Reads `SecurityOptions` of `GET /info` (`name=apparmor`, `name=selinux`, `name=seccomp,...`):
 * the daemon lists a Linux Security Module only when it applies it to containers. An info
 * answer without the list gives `{}`; a lost connection throws {@link EngineUnavailableError}.
 */
export async function hostSecurity(client: EngineClient, address: string): Promise<HostSecurity> {
  let info: unknown;
  try {
    info = await client.info();
  } catch (error) {
    const failure = classifyEngineError(error);
    if (failure.kind === "connection") {
      throw new EngineUnavailableError(
        `cannot reach the Docker Engine at ${address}: ${failure.message}`,
      );
    }
    return {};
  }
  return hostSecurityOf(info);
}

/** {@link HostSecurity} from an `/info` answer already read. */
export function hostSecurityOf(info: unknown): HostSecurity {
  const options = isRecord(info) ? info.SecurityOptions : undefined;
  if (!Array.isArray(options)) return {};
  const names = options
    .filter((o): o is string => typeof o === "string")
    .map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? "");
  return { hostHasAppArmor: names.includes("apparmor"), hostHasSELinux: names.includes("selinux") };
}
