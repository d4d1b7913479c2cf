/**
 * Input that cannot be read as Terraform configuration: a path that is not there or not a
 * regular file, a file too large, JSON Terraform would refuse, a manifest pointing outside its
 * folder. The message is one line (what, where, what to do) and never quotes the file's content.
 */
export class SynthInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SynthInputError";
    // One line for users: no stack trace.
    this.stack = `${this.name}: ${message}`;
  }
}
