import {
  goDurationString,
  providerFailureRatio,
  providerShortDuration,
} from "../../lib/provider/docker-provider-facts";

// The spellings kreuzwerker/docker 3.6.2 reads back. Anything else plans a change on every
// deploy: a container health check is read with Go's Duration.String() (resourceDockerContainerRead),
// a service's durations with shortDur and its ratio with FormatFloat(.., 'f', 1, 64)
// (resource_docker_service_structures.go:1306 and :87).
describe("the provider's read-back spellings", () => {
  test("Go's Duration.String() for whole seconds", () => {
    expect([0, 5, 30, 59, 60, 90, 3599, 3600, 3661, 86_400].map(goDurationString)).toEqual([
      "0s",
      "5s",
      "30s",
      "59s",
      "1m0s",
      "1m30s",
      "59m59s",
      "1h0m0s",
      "1h1m1s",
      "24h0m0s",
    ]);
  });

  test("shortDur cuts a trailing m0s, then h0m", () => {
    expect([5, 60, 90, 600, 3600, 3660, 3661].map(providerShortDuration)).toEqual([
      "5s",
      "1m",
      "1m30s",
      "10m",
      "1h",
      "1h1m",
      "1h1m1s",
    ]);
  });

  test("a failure ratio has one decimal, and one it would round is refused", () => {
    expect(providerFailureRatio(0)).toBe("0.0");
    expect(providerFailureRatio(0.3)).toBe("0.3");
    expect(() => providerFailureRatio(0.25)).toThrow(/one decimal/);
    expect(() => goDurationString(1.5)).toThrow(/whole seconds/);
  });
});
