/**
 * Deepest AnyValue nesting (arrays and kvlists inside each other) the decoders accept, like protobuf's own
 * default recursion limit; deeper bodies are refused instead of overflowing the stack.
 */
export const MAX_NESTING = 100;
