/** An error the user can fix: it prints as one line and exits with code 2, never with a stack. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export class ConfigError extends UsageError {
  override name = 'ConfigError';
  constructor(
    message: string,
    readonly location?: { file: string; line?: number; col?: number },
  ) {
    super(location ? `${formatLocation(location)}: ${message}` : message);
  }
}

export class SnapshotError extends UsageError {
  override name = 'SnapshotError';
}

function formatLocation({ file, line, col }: { file: string; line?: number; col?: number }): string {
  return [file, line, col].filter((part) => part !== undefined).join(':');
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
