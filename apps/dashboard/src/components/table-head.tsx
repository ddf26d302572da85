// A table's header row from its column names (every table in the console has one plain row).
export function TableHead(props: { columns: readonly string[] }) {
  return (
    <thead>
      <tr>
        {props.columns.map((c, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed; a name may be empty
          <th key={i}>{c}</th>
        ))}
      </tr>
    </thead>
  );
}
