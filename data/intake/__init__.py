"""Intake: a file the field sends, as bytes, in; typed records and rejected rows out.
Nothing here opens the database.

In the order a file goes through them:

1. ``formats``: what the file is, from its content (never its name).
2. ``readers`` (with ``sandbox``, ``sparse_xlsx``, ``sparse_ods``, ``formula_cells``,
   ``formula_eval``): the file as plain grids of cells (``readers.Sheet``), spreadsheets
   read in a capped child process.
3. ``layout`` (with ``kinds``): which sheet holds which of the seven export kinds, its
   header row(s), which column is which, the title block above it.
4. ``records`` (with ``values`` for single cells, ``agencies`` for agency names):
   every data row becomes a record or a rejection naming sheet, row, column and reason
   (``records.ParsedTable``). ``bulk`` and ``fastcsv`` are the column-wise fast paths for
   rosters and access logs; they accept and reject exactly what ``records`` does.
5. ``guards``: a cut-off CSV and a shrinking snapshot are caught before loading.
"""
