export * from "./prompt-template";
