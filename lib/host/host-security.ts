import { isRecord } from "../synth/terraform-values";

/** What the engine's host enforces, for CIS 5.2 (AppArmor) and 5.3 (SELinux). */
export interface HostSecurity {
  /** Undefined when the engine did not say (then both rules report "not applicable: unknown"). */
  readonly hostHasAppArmor?: boolean;
  readonly hostHasSELinux?: boolean;
}

/** {@link HostSecurity} from an `/info` answer (read once per engine by `readEngineSelf`). */
export function hostSecurityOf(info: unknown): HostSecurity {
  const options = isRecord(info) ? info.SecurityOptions : undefined;
  if (!Array.isArray(options)) return {};
  const names = options
    .filter((o): o is string => typeof o === "string")
    .map((o) => /(?:^|,)name=([^,]+)/.exec(o)?.[1] ?? "");
  return { hostHasAppArmor: names.includes("apparmor"), hostHasSELinux: names.includes("selinux") };
}
