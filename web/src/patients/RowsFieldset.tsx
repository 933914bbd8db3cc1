// An editable list of rows (allergies, medications, diagnoses): each row is a fieldset
// of labelled inputs with its own "Remove" button; "Add" appends a row and focuses it.
import { useEffect, useState } from 'preact/hooks';
import { fieldId, SelectField, TextField } from '../components/Field';

export interface RowColumn<Row> {
  key: keyof Row & string;
  label: string;
  required?: boolean;
  options?: readonly { value: string; label: string }[];
  hint?: string;
  inputMode?: 'numeric' | 'text';
  wide?: boolean;
}

interface RowsFieldsetProps<Row> {
  /** Field path prefix, e.g. "allergies" (rows become "allergies[0].substance"). */
  name: string;
  legend: string;
  itemLabel: string;
  rows: Row[];
  columns: RowColumn<Row>[];
  emptyRow: () => Row;
  onRows: (rows: Row[]) => void;
  errors: Record<string, string>;
  emptyText: string;
}

export function RowsFieldset<Row extends { [K in keyof Row]: string }>(props: RowsFieldsetProps<Row>) {
  const { name, rows, columns } = props;
  const [focusPath, setFocusPath] = useState<string | null>(null);

  useEffect(() => {
    if (focusPath) document.getElementById(fieldId(focusPath))?.focus();
    setFocusPath(null);
  }, [focusPath]);

  const update = (index: number, key: keyof Row, value: string) =>
    props.onRows(rows.map((row, i) => (i === index ? { ...row, [key]: value } : row)));

  const add = () => {
    props.onRows([...rows, props.emptyRow()]);
    setFocusPath(`${name}[${rows.length}].${columns[0]!.key}`);
  };

  const remove = (index: number) => {
    props.onRows(rows.filter((_, i) => i !== index));
    setFocusPath(null);
    document.getElementById(`${name}-add`)?.focus();
  };

  return (
    <fieldset class="form-section rows">
      <legend>{props.legend}</legend>
      {rows.length === 0 ? <p class="muted">{props.emptyText}</p> : null}
      {rows.map((row, index) => (
        <fieldset class="row-item" key={index}>
          <legend>
            {props.itemLabel} {index + 1}
          </legend>
          <div class="row-item__fields">
            {columns.map((column) => {
              const path = `${name}[${index}].${column.key}`;
              const common = {
                id: fieldId(path),
                label: column.label,
                required: column.required,
                hint: column.hint,
                error: props.errors[path],
                value: row[column.key] ?? '',
                onValue: (value: string) => update(index, column.key, value),
                class: column.wide ? 'field--wide' : undefined,
              };
              return column.options ? (
                <SelectField key={column.key} {...common} options={column.options} placeholder="Choose…" />
              ) : (
                <TextField key={column.key} {...common} inputMode={column.inputMode} />
              );
            })}
          </div>
          <button type="button" class="button button--secondary button--small" onClick={() => remove(index)}>
            Remove {props.itemLabel.toLowerCase()} {index + 1}
          </button>
        </fieldset>
      ))}
      <button type="button" id={`${name}-add`} class="button button--secondary" onClick={add}>
        Add {props.itemLabel.toLowerCase()}
      </button>
    </fieldset>
  );
}
