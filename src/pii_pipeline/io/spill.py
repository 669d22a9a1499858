"""Parsed chunks kept on disk, so a file is parsed once although masking needs it twice.

A CSV whose free text is masked ahead for several workers (``masking/textmemo.py``) is read twice:
once for the texts that recur across chunks, once for the transform.  Parsing a CSV (decoding, the
reader's proofs, pyarrow's parser, the tolerant fallback) costs several times more than reading back
what was parsed, so the transform stage spills every parsed chunk (its strings, data row and line
numbers as Arrow IPC with lz4, the rejected records and JSON kinds in memory) while it reads the file,
and then reads the spill.  The chunks come back exactly as the reader gave them: the same frames, row
and line numbers, rejected records and order, so the output is the same byte for byte.  (Every other
CSV is parsed once by the transform itself, in byte ranges where it can be cut: ``io/ranges.py``.)

The spill holds input values: it is an owner-only staging file beside the output
(``engine._stage_file``: removed when the run ends, and by the next run when its writer is gone).
Memory stays bounded by one chunk.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterator, List

import pyarrow as pa

from .tables import TableChunk

_ROWS, _LINES = "__spill_row", "__spill_line"


class ChunkSpill:
    """Write with :meth:`add` (chunks of one table, in order), :meth:`close`, then read with :meth:`chunks`."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._writer = None
        self._schema = None
        self._meta: List[tuple] = []   # per chunk: (table, path, first_row, rejected, kinds, batches)

    def add(self, chunk: TableChunk) -> None:
        table = pa.Table.from_pandas(chunk.frame, preserve_index=False)
        table = table.append_column(_ROWS, pa.array(chunk.rows(), pa.int64()))
        table = table.append_column(_LINES, pa.array(chunk.lines(), pa.int64()))
        if self._writer is None:
            self._schema = table.schema
            self._writer = pa.ipc.new_file(str(self.path), self._schema,
                                           options=pa.ipc.IpcWriteOptions(compression="lz4"))
        elif table.schema != self._schema:
            table = table.cast(self._schema)   # a chunk's columns are the file's header: only types may differ
        batches = table.combine_chunks().to_batches()
        for batch in batches:
            self._writer.write_batch(batch)
        self._meta.append((chunk.table, chunk.path, chunk.first_row, chunk.rejected, chunk.kinds, len(batches)))

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None

    def chunks(self) -> Iterator[TableChunk]:
        """The chunks as they were added."""
        self.close()
        if self._schema is None:
            return
        with pa.OSFile(str(self.path)) as source:  # lz4 batches are decompressed into memory: frames outlive the file
            reader = pa.ipc.open_file(source)
            at = 0
            for table, path, first_row, rejected, kinds, count in self._meta:
                rows = pa.Table.from_batches([reader.get_batch(i) for i in range(at, at + count)], self._schema)
                at += count
                frame = rows.drop_columns([_ROWS, _LINES]).to_pandas()
                yield TableChunk(frame, path, table, first_row, rejected,
                                 rows.column(_ROWS).to_numpy(), rows.column(_LINES).to_numpy(), kinds)

    def column_chunks(self, name: str) -> Iterator[pa.Array]:
        """One column's values, a chunk at a time (only that column is read and decompressed)."""
        self.close()
        if self._schema is None or name not in self._schema.names:
            return
        options = pa.ipc.IpcReadOptions(included_fields=[self._schema.get_field_index(name)])
        with pa.OSFile(str(self.path)) as source:
            reader = pa.ipc.open_file(source, options=options)
            at = 0
            for *_, count in self._meta:
                yield pa.concat_arrays([reader.get_batch(i).column(0) for i in range(at, at + count)])
                at += count
