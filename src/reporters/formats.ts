/** Every report format, in the order `check --help` lists them (the reporters' table is keyed by these names). */
export const FORMATS = ['terminal', 'md', 'html', 'json', 'sarif', 'junit', 'github'] as const;
export type Format = (typeof FORMATS)[number];
