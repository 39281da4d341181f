/** A style: the text, coloured (or not). */
export type Style = (text: string) => string;

/** The styles of the terminal report. */
export interface Palette {
  bold: Style;
  dim: Style;
  cyan: Style;
  green: Style;
  yellow: Style;
  red: Style;
  boldGreen: Style;
  boldYellow: Style;
  boldRed: Style;
}

const unstyled: Style = (text) => text;

/** No colour (a pipe, a file, a CI log): the text as it is, and no colour library loaded for it (start-up). */
export const PLAIN: Palette = {
  bold: unstyled,
  dim: unstyled,
  cyan: unstyled,
  green: unstyled,
  yellow: unstyled,
  red: unstyled,
  boldGreen: unstyled,
  boldYellow: unstyled,
  boldRed: unstyled,
};

/** chalk's 16 basic colours, which every terminal shows; loaded only by a run that prints colour. */
export async function colourPalette(): Promise<Palette> {
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return { bold: c.bold, dim: c.dim, cyan: c.cyan, green: c.green, yellow: c.yellow, red: c.red, boldGreen: c.green.bold, boldYellow: c.yellow.bold, boldRed: c.red.bold };
}
