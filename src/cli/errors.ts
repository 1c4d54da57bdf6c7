/**
 * An error caused by the user's input or files, printed without a stack
 * trace.
 */
export class UserError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
