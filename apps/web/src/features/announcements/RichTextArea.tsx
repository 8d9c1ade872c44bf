import { useRef } from 'react';
import { Button, Input, Space } from 'antd';
import { BoldOutlined, FontSizeOutlined, OrderedListOutlined, PicCenterOutlined, TableOutlined } from '@ant-design/icons';
import type { TextAreaRef } from 'antd/es/input/TextArea';
import { useI18n } from '../../lib/i18n/I18nProvider';

/**
 * A plain textarea with a few buttons that wrap the selection in HTML tags. Deliberately no editor library: the
 * server sanitises to an allow-list anyway, and announcements are structured text, not designed pages.
 */
export function RichTextArea({ value = '', onChange, testId }: { value?: string; onChange?: (v: string) => void; testId?: string }) {
  const { t } = useI18n();
  const ref = useRef<TextAreaRef>(null);
  const wrap = (before: string, after: string, placeholder: string) => {
    const el = ref.current?.resizableTextArea?.textArea;
    if (!el) return;
    const { selectionStart: s, selectionEnd: e } = el;
    const selected = value.slice(s, e) || placeholder;
    const next = value.slice(0, s) + before + selected + after + value.slice(e);
    onChange?.(next);
    requestAnimationFrame(() => {
      el.focus();
      el.setSelectionRange(s + before.length, s + before.length + selected.length);
    });
  };
  const listOf = () => {
    const el = ref.current?.resizableTextArea?.textArea;
    const sel = el ? value.slice(el.selectionStart, el.selectionEnd) : '';
    const items = (sel || '…').split(/\n+/).map((l) => `  <li>${l.trim()}</li>`).join('\n');
    if (!el) return;
    const next = value.slice(0, el.selectionStart) + `<ul>\n${items}\n</ul>` + value.slice(el.selectionEnd);
    onChange?.(next);
  };
  return (
    <div>
      <Space wrap size={4} style={{ marginBottom: 6 }}>
        <Button size="small" icon={<BoldOutlined />} onClick={() => wrap('<strong>', '</strong>', '…')} data-testid="rte-bold">{t('annwb.bold')}</Button>
        <Button size="small" icon={<FontSizeOutlined />} onClick={() => wrap('<h3>', '</h3>\n', '…')} data-testid="rte-heading">{t('annwb.heading')}</Button>
        <Button size="small" icon={<PicCenterOutlined />} onClick={() => wrap('<p>', '</p>\n', '…')} data-testid="rte-paragraph">{t('annwb.paragraph')}</Button>
        <Button size="small" icon={<OrderedListOutlined />} onClick={listOf} data-testid="rte-list">{t('annwb.list_')}</Button>
        <Button size="small" icon={<TableOutlined />} onClick={() => wrap('<table>\n  <tr><th>', '</th><th>…</th></tr>\n  <tr><td>…</td><td>…</td></tr>\n</table>\n', '…')}>
          Table
        </Button>
      </Space>
      <Input.TextArea
        ref={ref}
        value={value}
        onChange={(e) => onChange?.(e.target.value)}
        autoSize={{ minRows: 12, maxRows: 30 }}
        style={{ fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Noto Sans Mono CJK SC", monospace', fontSize: 13 }}
        data-testid={testId}
      />
    </div>
  );
}
