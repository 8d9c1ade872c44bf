/**
 * Filter tags stored in the same tsvector as the words (ADR 0006): `c:<category>`, `t:<type>` and one `r:<prefix>`
 * per level of the region code (province, city, county). A text query with filters then becomes one GIN lookup
 * (`'招标' & '公告' & 'c:construction' & 'r:3502'`) instead of a bitmap AND the planner may or may not choose. User
 * query tokens never contain ':', so tags cannot be forged from the search box.
 */
export function regionTags(code: string): string[] {
  const tags = [`r:${code.slice(0, 2)}`];
  if (!code.endsWith('0000')) tags.push(`r:${code.slice(0, 4)}`);
  if (!code.endsWith('00')) tags.push(`r:${code}`);
  return tags;
}

export function filterTags(a: { categoryCode: string; type: string; regionCode: string }): string[] {
  // One tag per level of the catalog code, so a filter on 'works' finds 'works.housing'.
  const parts = a.categoryCode.split('.');
  const cats = parts.map((_, i) => `c:${parts.slice(0, i + 1).join('.')}`);
  return [...cats, `t:${a.type}`, ...regionTags(a.regionCode)];
}
