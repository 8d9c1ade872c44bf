import type { Generated } from '../db/schema';

export interface Bilingual {
  zh: string;
  en: string;
}

declare module '../db/schema' {
  interface Tables {
    notifications: {
      id: Generated<string>;
      account_id: string;
      kind: string;
      title: Bilingual;
      body: Bilingual;
      link: string | null;
      channels: string[];
      created_at: Date;
      read_at: Date | null;
    };
    notification_deliveries: {
      id: Generated<number>;
      notification_id: string;
      account_id: string;
      channel: string;
      adapter: string;
      address: string;
      status: 'sent' | 'failed';
      provider_ref: string | null;
      error: string | null;
      created_at: Date;
    };
  }
}
