// The React UI arrives with its own issue; until then the renderer folder only fixes its boundaries:
// DOM types, no Node, and the engine reached through the API client derived from shared/contract.ts.
export {};
