/** Path helpers shared by the writers and parsers (archive paths are always `/`-separated). */

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.bmp', '.webp'] as const;

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

export function dirName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

/** `a/b/0001.jpg` → `0001`. */
export function stemOf(path: string): string {
  const b = baseName(path);
  const i = b.lastIndexOf('.');
  return i <= 0 ? b : b.slice(0, i);
}

export function extOf(path: string): string {
  const b = baseName(path);
  const i = b.lastIndexOf('.');
  return i <= 0 ? '' : b.slice(i).toLowerCase();
}

export function isImagePath(path: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(extOf(path));
}

export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** `root` = '' or a folder; true when `path` lies inside it. */
export function isUnder(path: string, root: string): boolean {
  return root === '' || path.startsWith(`${root}/`);
}

/** Relative path of `path` under `root`. */
export function relativeTo(path: string, root: string): string {
  return root === '' ? path : path.slice(root.length + 1);
}
