import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Alert, Form, Input, InputNumber, Modal, Select } from 'antd';
import { useI18n } from '../../lib/i18n/I18nProvider';
import { errorText } from '../../lib/problem';
import { fenToYuanText, parseYuanToFen } from '../../lib/format';
import { FileList } from '../../components/FileUpload';
import { tenderApi, type Tender } from './api';
import { bjTextToIso } from './time';

/** Re-tender a failed or terminated lot (POST …/retender): a new draft tender linked to this one. */
export function RetenderModal({ open, onClose, tender, lotNo, onDone }: { open: boolean; onClose: () => void; tender: Tender; lotNo: number; onDone: () => unknown }) {
  const { t, lang } = useI18n();
  const navigate = useNavigate();
  const [form] = Form.useForm<{ deposit: string; deadline: string; documentIds: string[]; custodians: string[]; k: number }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const lot = tender.lots.find((l) => l.lotNo === lotNo);
  return (
    <Modal
      open={open}
      title={t('tn.retender')}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'retender-ok' } as never}
      onOk={async () => {
        const v = await form.validateFields();
        setBusy(true);
        setError(null);
        try {
          const r = await tenderApi.awardPost<{ tenderId: string }>(tender.id, lotNo, 'retender', {
            depositFen: parseYuanToFen(v.deposit) ?? 0,
            bidDeadline: bjTextToIso(v.deadline),
            documentIds: v.documentIds,
            escrow: { k: v.k, custodianAccountIds: v.custodians },
          });
          await onDone();
          onClose();
          navigate(`/workbench/tenders/${r.tenderId}`);
        } catch (e) {
          setError(errorText(e, lang));
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" data-testid="retender-form"
        initialValues={{ deposit: fenToYuanText(lot?.depositFen ?? 0), deadline: '', documentIds: [], custodians: tender.escrow.custodians.map((c) => c.accountId), k: tender.escrow.k }}>
        <Form.Item name="deposit" label={t('tn.depositYuan')} rules={[{ validator: (_, v: string) => (parseYuanToFen(v ?? '') !== undefined ? Promise.resolve() : Promise.reject(new Error(t('tn.badYuan')))) }]}>
          <Input prefix="¥" inputMode="decimal" />
        </Form.Item>
        <Form.Item name="deadline" label={t('tn.deadline')} rules={[{ validator: (_, v: string) => (bjTextToIso(v ?? '') ? Promise.resolve() : Promise.reject(new Error(t('tn.badTime')))) }]}>
          <Input placeholder="2026-10-20 09:30" />
        </Form.Item>
        <Form.Item name="documentIds" label={t('tn.documents')} rules={[{ required: true, type: 'array', min: 1, message: t('tn.documentsRequired') }]}>
          <FileList testId="retender-documents" />
        </Form.Item>
        <Form.Item name="custodians" label={t('tn.custodians')}>
          <Select mode="tags" tokenSeparators={[',', ' ']} options={tender.escrow.custodians.map((c) => ({ value: c.accountId, label: c.displayName }))} />
        </Form.Item>
        <Form.Item name="k" label={t('tn.k')}><InputNumber min={2} max={20} /></Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
