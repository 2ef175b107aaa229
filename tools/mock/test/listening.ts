/** True when something on 127.0.0.1 accepts HTTP connections on the port. */
export async function listening(port: number): Promise<boolean> {
  return fetch(`http://127.0.0.1:${port}/`).then(
    () => true,
    () => false,
  );
}
