/** The provider answered with something the platform cannot use (e.g. fewer embeddings than texts). */
export class InvalidProviderResponseError extends Error {}
