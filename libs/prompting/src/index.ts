export * from "./prompt-template";
export * from "./pipeline";
export { ALLOWED_FILTERS, MAX_LOOP_DEPTH } from "./template-sandbox";
