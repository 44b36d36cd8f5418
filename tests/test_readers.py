"""Reading workbooks: formula cells without a saved result found by a byte scan, the
1904 date system."""
from __future__ import annotations

from data.intake.readers import formula_gaps_in

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _sheet(cells: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><cols><col min="1" max="3" width="9"/></cols>'
            f'<sheetData>{cells}</sheetData></worksheet>').encode()


def test_formula_cells_without_a_saved_value_are_found_and_the_rest_are_not():
    xml = _sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"><f>SUM(C1:C9)</f></c></row>'          # B1: no <v>
        '<row r="2"><c r="A2"><f>1+1</f><v>2</v></c><c r="B2" s="3"><f>A2*2</f><v></v></c></row>'  # B2: empty <v>
        '<row r="3"><c r="C3" t="str"><f t="shared" ref="C3:C4" si="0">A3&amp;"&lt;c "</f><v>x</v></c>'
        '<c r="D3" t="str"><f t="shared" si="0"/><v> </v></c>'                                       # D3: blank result
        '<c r="AA3"/><c r="AB3" s="1"><f t="shared" si="0"/></c></row>'                              # AB3: shared, no <v>
        '<row r="4"><c r="A4"><v>5</v></c><c r="B4" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')   # error value is saved
    # 0-based (row, col): B1 (0, 1), B2 (1, 1), D3 (2, 3), AB3 (2, 27)
    assert formula_gaps_in(xml) == {(0, 1), (1, 1), (2, 3), (2, 27)}


def test_a_sheet_without_formulas_has_no_gaps():
    assert formula_gaps_in(_sheet('<row r="1"><c r="A1"><v>1</v></c><c r="B1" t="inlineStr"><is><t>f</t></is></c></row>')) == set()
