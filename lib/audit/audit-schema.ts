import { z } from "zod";
import { nonEmpty, whole } from "../validation/schema-helpers";

/** The structural schema of {@link AuditProps}, shared by every construct that takes `audit`. */
export const auditSchema = z.strictObject(
  {
    owner: nonEmpty("audit.owner"),
    purpose: nonEmpty("audit.purpose"),
    expires: z.string({
      error: "audit.expires is required: the last day the resource may run, YYYY-MM-DD",
    }),
    deployedBy: nonEmpty("audit.deployedBy").optional(),
    ticket: nonEmpty("audit.ticket").optional(),
    contact: nonEmpty("audit.contact").optional(),
    maxLifetimeDays: whole("audit.maxLifetimeDays", 1, 3650, "The default is 365.").optional(),
  },
  {
    // Only the object itself missing or of the wrong type; its fields keep their own messages.
    error: (issue) =>
      issue.code !== "invalid_type"
        ? undefined
        : issue.input === undefined
          ? 'audit is required: who owns it, why it runs and its last day, e.g. audit: { owner: "payments-team", purpose: "public REST API", expires: "2027-06-30" }'
          : 'audit must be an object: { owner: "<team>", purpose: "<why it runs>", expires: "YYYY-MM-DD" }',
  },
);
