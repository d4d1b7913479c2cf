import { Relax } from "../../lib/policy/relaxations";
import { DANGEROUS_SYSCALLS, SeccompProfile } from "../../lib/policy/seccomp";
import { baseProps, synthHardened, validationErrorOf } from "../support/hardened-synth";

const WHY = "the build sandbox mounts overlay filesystems for each job";

function problemsOf(overrides: Parameters<typeof baseProps>[0]) {
  return validationErrorOf(() => synthHardened(baseProps(overrides))).problems;
}

describe("a custom seccomp profile that weakens the shipped one needs Relax.allowSyscalls", () => {
  test("an allow-all profile is refused, naming every escape syscall it leaves open", () => {
    const allowAll = SeccompProfile.fromObject({ defaultAction: "SCMP_ACT_ALLOW" });
    const [problem, ...rest] = problemsOf({ seccomp: allowAll });
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ constructPath: "stack/api", field: "seccomp" });
    expect(problem?.value).toEqual(expect.arrayContaining([...DANGEROUS_SYSCALLS]));
    expect(problem?.message).toContain("does not deny mount, umount2, unshare, setns");
    expect(problem?.message).toContain("Relax.allowSyscalls([");
  });

  test.each([["mount"], ["unshare"], ["setns"]])(
    "a profile that allows %s without the relaxation is refused",
    (syscall) => {
      const profile = SeccompProfile.hardenedDefault().allow([syscall]);
      const [problem] = problemsOf({ seccomp: profile });
      expect(problem).toMatchObject({ field: "seccomp", value: [syscall] });
      expect(problem?.message).toContain(`Relax.allowSyscalls(["${syscall}"], reason)`);
    },
  );

  test("the same profile is accepted when Relax.allowSyscalls names what it opens", () => {
    const profile = SeccompProfile.hardenedDefault().allow(["mount", "umount2"]);
    const { container } = synthHardened(
      baseProps({
        seccomp: profile,
        relaxations: [Relax.allowSyscalls(["mount", "umount2"], WHY)],
      }),
    );
    expect(container.security_opts).toContain(`seccomp=${profile.toJson()}`);
  });

  test("naming only some of them is not enough", () => {
    const profile = SeccompProfile.hardenedDefault().allow(["mount", "setns"]);
    const [problem] = problemsOf({
      seccomp: profile,
      relaxations: [Relax.allowSyscalls(["mount"], WHY)],
    });
    expect(problem).toMatchObject({ field: "seccomp", value: ["setns"] });
  });

  test("a profile that denies more than the shipped one needs nothing", () => {
    const profile = SeccompProfile.hardenedDefault().deny(["chroot", "mknod"]);
    expect(() => synthHardened(baseProps({ seccomp: profile }))).not.toThrow();
  });
});
