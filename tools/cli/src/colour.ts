/**
 * Whether a CLI may write colour to `stream`: only to a terminal, and only one that shows colour
 * (Node's `hasColors` reads NO_COLOR, FORCE_COLOR and TERM=dumb), so redirected logs stay plain text.
 */
export const coloursOn = (stream: NodeJS.WriteStream): boolean => stream.isTTY === true && stream.hasColors();
