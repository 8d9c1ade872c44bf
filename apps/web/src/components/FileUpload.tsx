import { useState } from 'react';
import { App, Button, Space, Typography, Upload } from 'antd';
import { CheckCircleTwoTone, UploadOutlined } from '@ant-design/icons';
import { uploadFile, type StoredFile } from '../lib/api';
import { useI18n } from '../lib/i18n/I18nProvider';
import { errorText } from '../lib/problem';
import { formatBytes } from '../lib/format';

/** One file slot bound to a form field holding the stored file's id (POST /api/files, multipart). */
export function FileSlot({ value, onChange, testId }: { value?: string | null; onChange?: (id: string | null) => void; testId?: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState<StoredFile | null>(null);
  return (
    <Space wrap>
      <Upload
        showUploadList={false}
        customRequest={async ({ file: f }) => {
          setBusy(true);
          try {
            const stored = await uploadFile(f as File);
            setFile(stored);
            onChange?.(stored.id);
          } catch (e) {
            message.error(errorText(e, lang));
          } finally {
            setBusy(false);
          }
        }}
      >
        <Button icon={<UploadOutlined />} loading={busy} data-testid={testId}>{t('project.upload')}</Button>
      </Upload>
      {value && (
        <Typography.Text type="secondary" data-testid={testId ? `${testId}-done` : undefined}>
          <CheckCircleTwoTone twoToneColor="#52c41a" /> {file ? `${file.name} (${formatBytes(file.size)})` : value.slice(0, 12)}
        </Typography.Text>
      )}
    </Space>
  );
}

/** Several files bound to a field holding an id array (announcement attachments). */
export function FileList({ value = [], onChange, testId }: { value?: string[]; onChange?: (ids: string[]) => void; testId?: string }) {
  const { t, lang } = useI18n();
  const { message } = App.useApp();
  const [names, setNames] = useState<Record<string, string>>({});
  return (
    <Upload
      multiple
      fileList={value.map((id) => ({ uid: id, name: names[id] ?? id, status: 'done' as const }))}
      onRemove={(f) => onChange?.(value.filter((id) => id !== f.uid))}
      customRequest={async ({ file: f, onSuccess, onError }) => {
        try {
          const stored = await uploadFile(f as File);
          setNames((n) => ({ ...n, [stored.id]: stored.name }));
          onChange?.([...value, stored.id]);
          onSuccess?.(stored);
        } catch (e) {
          message.error(errorText(e, lang));
          onError?.(e as Error);
        }
      }}
    >
      <Button icon={<UploadOutlined />} data-testid={testId}>{t('project.upload')}</Button>
    </Upload>
  );
}
