import { fileURLToPath } from 'node:url';

/** Files shipped with the package (default policy, default calibration), found from the built code. */
export function packagePath(relative: string): string {
  return fileURLToPath(new URL(`../../${relative}`, import.meta.url));
}
