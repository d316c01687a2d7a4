/**
 * `wirelab/jupyter`: nbformat v4 files, a minimal ZeroMQ Jupyter client, and the headless
 * notebook runner (`runNotebook`, `wirelab run`), plus the wirelab kernelspec.
 */
export * from "./nbformat";
export * from "./client";
export * from "./runner";
