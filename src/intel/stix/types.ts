import { z } from 'zod';

/** Any STIX object as it travels: the common properties checked, the rest kept as-is. */
export const StixObject = z
  .object({
    type: z
      .string()
      .regex(/^([a-z][a-z0-9]*)+(-[a-z0-9]+)*-?$/)
      .min(3)
      .max(250),
    id: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]+[a-z0-9]--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$/,
      ),
    spec_version: z.string().optional(),
    created: z.string().optional(),
    modified: z.string().optional(),
  })
  .loose();
export type StixObject = z.infer<typeof StixObject>;

export const StixBundle = z.object({
  type: z.literal('bundle'),
  id: z.string().regex(/^bundle--[0-9a-fA-F-]{36}$/),
  objects: z.array(StixObject).optional(),
});
export type StixBundle = z.infer<typeof StixBundle>;

/** The version of an object as TAXII sees it: `modified`, else `created`, else a fixed epoch (SCOs, markings). */
export function objectVersion(obj: StixObject): string {
  return obj.modified ?? obj.created ?? '1970-01-01T00:00:00.000Z';
}
