/** The client went away before its request was read: an expected event, answered with nothing and logged quietly. */
export class ClientGoneError extends Error {
  override name = 'ClientGoneError';
  constructor() {
    super('the client closed the connection before its request was read');
  }
}
