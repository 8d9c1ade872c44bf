import { Tag } from 'antd';
import { useI18n } from '../lib/i18n/I18nProvider';
import { ANNOUNCEMENT_TYPES, announcementTypeColor, label } from '../lib/labels';
import type { DictKey } from '../lib/i18n/dict';

export function AnnouncementTypeTag({ type }: { type: string }) {
  const { lang } = useI18n();
  return <Tag color={announcementTypeColor(type)} style={{ marginInlineEnd: 0 }}>{label(ANNOUNCEMENT_TYPES, type, lang)}</Tag>;
}

const STATUS_COLORS: Record<string, string> = {
  draft: 'default',
  submitted: 'processing',
  pending_review: 'processing',
  in_review: 'processing',
  returned: 'warning',
  rejected: 'error',
  accepted: 'success',
  accepted_green: 'cyan',
  approved: 'success',
  published: 'success',
  commenting: 'gold',
  comment: 'gold',
  scheduled: 'blue',
  in_force: 'success',
  superseded: 'default',
};

export function StatusTag({ status }: { status: string }) {
  const { t } = useI18n();
  const key = `status.${status === 'commenting' ? 'comment' : status}` as DictKey;
  const text = t(key);
  return <Tag color={STATUS_COLORS[status] ?? 'default'} data-testid="status-tag" data-status={status}>{text === key ? status : text}</Tag>;
}
