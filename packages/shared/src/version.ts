/**
 * The product's one version number: the service, the OpenAPI document, the
 * TS SDK, the Python wheel and the Go module all carry it (a test checks).
 */
export const PRODUCT_VERSION = '0.4.0';
