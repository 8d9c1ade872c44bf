import { Select } from 'antd';
import { useMemo } from 'react';
import { useI18n } from '../lib/i18n/I18nProvider';
import { regionOptions } from '../lib/regions';

/** A region (GB/T 2260) picker for forms; type a name or a code to filter. Form.Item passes value/onChange. */
export function RegionSelect(props: { value?: string; onChange?: (v: string) => void; testId: string; allowClear?: boolean; disabled?: boolean }) {
  const { lang } = useI18n();
  const options = useMemo(() => regionOptions(lang), [lang]);
  return (
    <Select
      value={props.value}
      onChange={props.onChange}
      options={options}
      showSearch={{ optionFilterProp: 'label' }}
      allowClear={props.allowClear}
      disabled={props.disabled}
      placeholder={lang === 'en' ? 'Choose a region' : '选择行政区划'}
      data-testid={props.testId}
    />
  );
}
