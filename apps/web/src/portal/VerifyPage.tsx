import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Descriptions, Input, List, Space, Tag, Typography } from 'antd';
import { CheckCircleOutlined, CloseCircleOutlined } from '@ant-design/icons';
import { verifyCheckpoint, verifyEntryProof, type LedgerEntryProof, type SignedCheckpoint } from '@yiwang/sdk/ledger';
import { api } from '../lib/api';
import { formatDateTime } from '../lib/format';
import { errorText } from '../lib/problem';
import { useI18n } from '../lib/i18n/I18nProvider';

interface PublicKey {
  keyId: string;
  algorithm: 'Ed25519';
  publicKeyHex: string;
}

/**
 * 账本存证验证: the platform's signed ledger checkpoints, each signature checked here in the browser with the
 * platform's public key (nothing is taken on the server's word), and an inclusion proof for any entry.
 */
export default function VerifyPage() {
  const { t, lang } = useI18n();
  const zh = lang !== 'en';
  const key = useQuery({ queryKey: ['ledger-key'], queryFn: () => api.get<PublicKey>('/api/ledger/public-key') });
  const checkpoints = useQuery({
    queryKey: ['ledger-checkpoints'],
    queryFn: () => api.get<{ items: SignedCheckpoint[] }>('/api/ledger/checkpoints', { limit: 10 }),
  });
  const [proof, setProof] = useState<{ seq: number; verdict: string; ok: boolean; detail?: LedgerEntryProof } | { error: string } | null>(null);

  async function checkEntry(text: string) {
    const seq = Number(text.trim());
    if (!Number.isInteger(seq) || seq < 1) {
      setProof({ error: zh ? '请输入账本序号（正整数）' : 'Enter a ledger sequence number (a positive integer)' });
      return;
    }
    try {
      const p = await api.get<LedgerEntryProof>(`/api/ledger/entries/${seq}/proof`);
      const v = verifyEntryProof(p, key.data!.publicKeyHex);
      const verdict = v.ok
        ? zh ? `第 ${seq} 条记录包含在已签名的账本树（${p.treeSize} 条）中` : `Entry ${seq} is in the signed ledger tree of ${p.treeSize} entries`
        : zh ? `验证失败：${v.reason}` : `Verification failed: ${v.reason}`;
      setProof({ seq, verdict, ok: v.ok, detail: p });
    } catch (e) {
      setProof({ error: errorText(e, lang) });
    }
  }

  return (
    <div className="yw-container yw-main">
      <Typography.Title level={3} style={{ marginTop: 0 }}>{t('verify.title')}</Typography.Title>
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={zh ? '平台账本签名公钥' : 'Platform ledger signing key'}>
          <Typography.Paragraph type="secondary">
            {zh
              ? '平台每一项重要操作都写入防篡改账本（哈希链），并定期对默克尔树根签名公布。下列签名均在您的浏览器中用此公钥验证。'
              : 'Every significant action is written to a tamper-evident ledger (a hash chain); its Merkle root is signed and published periodically. The signatures below are checked in your browser with this key.'}
          </Typography.Paragraph>
          <Typography.Text code copyable data-testid="ledger-public-key" style={{ wordBreak: 'break-all' }}>
            {key.data?.publicKeyHex ?? '…'}
          </Typography.Text>
        </Card>
        <Card title={zh ? '已签名的账本检查点' : 'Signed ledger checkpoints'}>
          <List
            data-testid="checkpoint-list"
            loading={checkpoints.isLoading || key.isLoading}
            dataSource={checkpoints.data?.items ?? []}
            locale={{ emptyText: zh ? '暂无检查点' : 'No checkpoint yet' }}
            renderItem={(c) => {
              const ok = key.data ? verifyCheckpoint(c, key.data.publicKeyHex) : false;
              return (
                <List.Item data-testid="checkpoint-item">
                  <Space wrap>
                    {ok ? (
                      <Tag color="success" icon={<CheckCircleOutlined />} data-testid="checkpoint-valid">{zh ? '签名有效' : 'Signature valid'}</Tag>
                    ) : (
                      <Tag color="error" icon={<CloseCircleOutlined />}>{zh ? '签名无效' : 'Signature invalid'}</Tag>
                    )}
                    <span>{formatDateTime(c.createdAt)}</span>
                    <span>{zh ? `共 ${c.treeSize} 条` : `${c.treeSize} entries`}</span>
                    <Typography.Text code style={{ wordBreak: 'break-all' }}>{c.root}</Typography.Text>
                  </Space>
                </List.Item>
              );
            }}
          />
        </Card>
        <Card title={zh ? '验证某条记录在账本中' : 'Check that an entry is in the ledger'}>
          <Input.Search
            placeholder={zh ? '输入账本序号，如回执上的序号' : 'Ledger sequence number, e.g. from a receipt'}
            enterButton={zh ? '验证' : 'Verify'}
            onSearch={checkEntry}
            disabled={!key.data}
            style={{ maxWidth: 520 }}
            data-testid="verify-input"
          />
          {proof && 'error' in proof && <Alert style={{ marginTop: 16 }} type="warning" showIcon message={proof.error} />}
          {proof && 'verdict' in proof && (
            <Alert
              style={{ marginTop: 16 }}
              type={proof.ok ? 'success' : 'error'}
              showIcon
              data-testid="verify-result"
              message={proof.verdict}
              description={
                proof.detail && (
                  <Descriptions size="small" column={1}>
                    <Descriptions.Item label={zh ? '记录哈希' : 'Entry hash'}><span style={{ wordBreak: 'break-all' }}>{proof.detail.entryHash}</span></Descriptions.Item>
                    <Descriptions.Item label={zh ? '证明路径' : 'Audit path'}>{proof.detail.path.length}</Descriptions.Item>
                  </Descriptions>
                )
              }
            />
          )}
        </Card>
        <Card title={zh ? '抽取结果验证' : 'Verify a draw'}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {zh ? '专家抽取、工位分配、远程异地评标副场与同分抽签的结果，均可按公开记录在浏览器中重算。' : 'Expert draws, seat assignment, remote venues and tie-breaks can be recomputed in your browser from their public records.'}
          </Typography.Paragraph>
          <Link to="/verify/draw" data-testid="verify-draw-link">{zh ? '验证抽取记录 →' : 'Verify a draw record →'}</Link>
        </Card>
      </Space>
    </div>
  );
}
