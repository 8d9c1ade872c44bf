import { describe, expect, it } from 'vitest';
import { isOwnFileUrl, plainText, sanitizeBody } from './announcements.rules';

const FILE = '/api/files/3f1c2a9e-8d4b-4c8e-9f1a-2b3c4d5e6f70';

// Payloads from the OWASP XSS filter evasion cheat sheet and known sanitizer bypasses (mXSS via math/svg/style).
const PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//xss.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
  '<a href="java&#x09;script:alert(1)">x</a>',
  '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
  '<a href=" javascript:alert(1)">x</a>',
  '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
  '<a href="vbscript:msgbox(1)">x</a>',
  '<svg/onload=alert(1)>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>',
  '<body onload=alert(1)>',
  '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
  '<object data="javascript:alert(1)"></object>',
  '<p style="background:url(javascript:alert(1))">x</p>',
  '<form action="javascript:alert(1)"><button>x</button></form>',
  '<details open ontoggle=alert(1)>',
  '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
  '<<script>script>alert(1)<</script>/script>',
  `<img src="${FILE}" onerror="alert(1)">`,
  '<img src="/api/files/../../etc/passwd">',
  '<img src="//evil.example/x.png">',
  '<a href="//evil.example/">x</a>',
];

describe('announcement body sanitiser', () => {
  it.each(PAYLOADS)('neutralises %s', (payload) => {
    const out = sanitizeBody(`<p>正文</p>${payload}`).toLowerCase();
    for (const bad of ['<script', 'javascript:', 'vbscript:', 'data:', 'onerror', 'onload', 'ontoggle', '<iframe', '<object', '<svg', '<math', '<style', 'style=', '<form', '//evil', 'passwd', '<body']) {
      expect(out).not.toContain(bad);
    }
  });

  it('keeps the allowed structure', () => {
    const html = `<h2>一、项目概况</h2><p><strong>预算</strong>：<em>500 万元</em></p><ul><li>甲</li></ul><table><thead><tr><th>标段</th></tr></thead><tbody><tr><td rowspan="2">一</td></tr></tbody></table><a href="mailto:zb@example.cn">联系</a><img src="${FILE}" alt="现场">`;
    const out = sanitizeBody(html);
    expect(out).toContain('<h2>一、项目概况</h2>');
    expect(out).toContain('<td rowspan="2">一</td>');
    expect(out).toContain('<a href="mailto:zb@example.cn" rel="noopener noreferrer nofollow" target="_blank">联系</a>');
    expect(out).toContain(`<img src="${FILE}" alt="现场" />`);
  });

  it('accepts only our own file URLs for images', () => {
    expect(isOwnFileUrl(FILE)).toBe(true);
    expect(isOwnFileUrl(`https://yiwang.example${FILE}`)).toBe(false);
    expect(isOwnFileUrl(`${FILE}/../../x`)).toBe(false);
  });

  it('extracts plain text for search and snippets', () => {
    expect(plainText('<p>甲&amp;乙</p><p>丙</p><table><tr><td>1</td><td>2</td></tr></table>')).toBe('甲&乙 丙 1 2');
  });
});
