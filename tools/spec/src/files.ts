/**
 * The smallest valid file of a binary media type: what a binary answer carries when the spec
 * gives no file of its own (an example's `externalValue`). A client that decodes the answer
 * (an image library, a PDF reader) gets a file it can open, not the word `string`.
 */
import { essence } from "./media.ts";

/** A PDF of one empty 1x1 pt page, its cross-reference table counted from the objects. */
function minimalPdf(): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 1 1] >>",
  ];
  let text = "%PDF-1.4\n";
  const offsets = objects.map((object, index) => {
    const offset = text.length;
    text += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = text.length;
  text += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  text += offsets.map((offset) => `${String(offset).padStart(10, "0")} 00000 n \n`).join("");
  text += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(text, "latin1");
}

const base64 = (text: string) => Buffer.from(text, "base64");

/** 1x1 pixel images, each the smallest its format's common encoders write. */
const minimalFiles: Record<string, () => Buffer> = {
  "application/pdf": minimalPdf,
  "image/png": () =>
    base64("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="),
  "image/gif": () => base64("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="),
  "image/jpeg": () =>
    base64(
      "/9j/4AAQSkZJRgABAQAAAQABAAD/2wCEABALDA4MChAODQ4SERATGCgaGBYWGDEjJR0oOjM9PDkzODdASFxOQERXRTc4UG1RV19iZ2hnPk1xeXBkeFxlZ2MBERISGBUYLxoaL2NCOEJjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY2NjY//AABEIAAEAAQMBEQACEQEDEQH/xAGiAAABBQEBAQEBAQAAAAAAAAAAAQIDBAUGBwgJCgsQAAIBAwMCBAMFBQQEAAABfQECAwAEEQUSITFBBhNRYQcicRQygZGhCCNCscEVUtHwJDNicoIJChYXGBkaJSYnKCkqNDU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6g4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2drh4uPk5ebn6Onq8fLz9PX29/j5+gEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoLEQACAQIEBAMEBwUEBAABAncAAQIDEQQFITEGEkFRB2FxEyIygQgUQpGhscEJIzNS8BVictEKFiQ04SXxFxgZGiYnKCkqNTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqCg4SFhoeIiYqSk5SVlpeYmZqio6Slpqeoqaqys7S1tre4ubrCw8TFxsfIycrS09TV1tfY2dri4+Tl5ufo6ery8/T19vf4+fr/2gAMAwEAAhEDEQA/APQKAP8A/9k=",
    ),
  // An empty archive: its end-of-central-directory record alone.
  "application/zip": () => Buffer.concat([Buffer.from("PK\x05\x06", "latin1"), Buffer.alloc(18)]),
};

/** Bytes for a type without a format of its own (`application/octet-stream`): every byte value once. */
const someBytes = () => Buffer.from(Array.from({ length: 256 }, (_, index) => index));

/** The smallest valid file of the media type (parameters ignored); arbitrary bytes for any other binary type. */
export function minimalFile(mediaType: string): Buffer {
  return (minimalFiles[essence(mediaType)] ?? someBytes)();
}

/** Types whose bodies are files, never text: images, sound, video, fonts, archives, PDF and plain bytes. */
export function isBinary(mediaType: string): boolean {
  const type = essence(mediaType);
  return /^(image|audio|video|font)\//.test(type) || /^application\/(octet-stream|pdf|zip|gzip|x-tar)$/.test(type);
}
