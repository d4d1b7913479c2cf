import {
  containerFilters,
  describeFilters,
  FilterSyntaxError,
} from "../../lib/host/container-filters";

describe("--filter values", () => {
  it("collects label and name filters as Engine API filters", () => {
    const filters = containerFilters([
      "label=io.hardened-docker.owner",
      "label=io.hardened-docker.test=1",
      "name=web",
      "label=team=a=b",
    ]);
    expect(filters).toEqual({
      label: ["io.hardened-docker.owner", "io.hardened-docker.test=1", "team=a=b"],
      name: ["web"],
    });
    expect(describeFilters(filters)).toBe(
      "label=io.hardened-docker.owner, label=io.hardened-docker.test=1, label=team=a=b, name=web",
    );
    expect(containerFilters([])).toEqual({});
  });

  it.each([
    "status=running",
    "label=",
    "label==x",
    "name=",
    "name=two words",
    "label=bad key",
    "x".repeat(2000),
  ])("refuses %j with a one-line message naming the forms", (text) => {
    expect(() => containerFilters([text])).toThrow(FilterSyntaxError);
    try {
      containerFilters([text]);
    } catch (error) {
      expect((error as Error).message).toMatch(/label=<key>, label=<key>=<value> or name=<name>/);
      expect((error as Error).message).not.toContain("\n");
    }
  });
});
