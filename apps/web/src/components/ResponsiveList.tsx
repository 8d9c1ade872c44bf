// A table on wide screens and a list of cards on phones: the same data, readable on both.
import { Card, Empty, Grid, Space, Table, type TableColumnsType } from 'antd';
import type { ReactNode } from 'react';

export function ResponsiveList<T extends object>({
  data,
  columns,
  rowKey,
  card,
  loading,
  testId,
  itemTestId,
  footer,
}: {
  data: T[];
  columns: TableColumnsType<T>;
  rowKey: (row: T) => string;
  card: (row: T) => ReactNode;
  loading?: boolean;
  testId?: string;
  itemTestId?: string;
  footer?: ReactNode;
}) {
  const screens = Grid.useBreakpoint();
  if (screens.md === false) {
    return (
      <div data-testid={testId}>
        {data.length === 0 && !loading ? (
          <Empty />
        ) : (
          <Space orientation="vertical" size={10} style={{ width: '100%' }}>
            {data.map((row) => (
              <Card key={rowKey(row)} size="small" data-testid={itemTestId}>
                {card(row)}
              </Card>
            ))}
          </Space>
        )}
        {footer}
      </div>
    );
  }
  return (
    <div data-testid={testId}>
      <Table<T>
        size="middle"
        columns={columns}
        dataSource={data}
        rowKey={rowKey}
        loading={loading}
        pagination={false}
        onRow={() => (itemTestId ? ({ 'data-testid': itemTestId } as React.HTMLAttributes<HTMLElement>) : {})}
      />
      {footer}
    </div>
  );
}
