import { ControlConfig } from "./attacks";
import { docker, pollUntil, testLabels } from "./engine";

/**
 * Starts a control container: the probe image run with Docker's defaults (`docker run <image>`:
 * root, default capabilities and seccomp, no limits, the default bridge), changed only as
 * `control` says. Returns its ID once it is running.
 */
export async function startControl(
  control: ControlConfig,
  image: string,
  suite: string,
): Promise<string> {
  const container = await docker().createContainer({
    name: `hd-e2e-${suite}-control-${control.name}`,
    Image: image,
    Labels: { ...testLabels(suite), "io.hardened-docker.test.control": control.name },
    ...(control.user !== undefined ? { User: control.user } : {}),
    HostConfig: {
      ...(control.capAdd ? { CapAdd: [...control.capAdd] } : {}),
      ...(control.securityOpt ? { SecurityOpt: [...control.securityOpt] } : {}),
      ...(control.binds ? { Binds: [...control.binds] } : {}),
    },
  });
  await container.start();
  await pollUntil(
    `control container ${control.name} to run`,
    async () => ((await container.inspect()).State.Running ? true : undefined),
    10_000,
  );
  return container.id;
}
