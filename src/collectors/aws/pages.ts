/**
 * The pages of an SDK v3 paginator, every request cancelled by `signal`. The SDK's paginators
 * forward arguments after `input` to `client.send`, so the abort signal reaches each page's
 * request; without it a request abandoned at --timeout keeps its socket, and the process, alive.
 */
export async function* pages<Config, Input, Output>(
  paginate: (config: Config, input: Input, ...rest: { abortSignal: AbortSignal }[]) => AsyncIterable<Output>,
  config: Config,
  input: Input,
  signal: AbortSignal,
): AsyncGenerator<Output, void, undefined> {
  signal.throwIfAborted();
  for await (const page of paginate(config, input, { abortSignal: signal })) {
    yield page;
    signal.throwIfAborted();
  }
}
