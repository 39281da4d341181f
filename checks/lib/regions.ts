/** The regions a per-region service check expects an entry for: the assessed ones, as the identity fact recorded them, else the config's. */
export function assessedRegions(config: { aws?: { region?: string | undefined; regions?: string[] | undefined } | undefined }, recorded: readonly { region: string }[]): string[] {
  const configured = config.aws?.regions ?? (config.aws?.region ? [config.aws.region] : []);
  return [...new Set([...configured, ...recorded.map((r) => r.region)])];
}
