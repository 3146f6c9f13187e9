"""Run as a script by `xls_sandbox`: reads an .xls file on stdin, writes its first sheet's rows to stdout as
a pickle. Imports nothing from sportsrun, so that it starts in about 50 ms.

Arguments: the memory limit in bytes, then the largest rows, columns and cells a sheet may span."""

import io
import pickle
import resource
import sys

TOO_LARGE = 3
DAMAGED = 4


def main() -> int:
    memory, rows, columns, cells = (int(a) for a in sys.argv[1:5])
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        memory = min(memory, hard)
    resource.setrlimit(resource.RLIMIT_AS, (memory, hard))
    from python_calamine import CalamineWorkbook

    data = sys.stdin.buffer.read()
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        del data
        if sheet.height > rows or sheet.width > columns or sheet.height * sheet.width > cells:
            return TOO_LARGE
        table = sheet.to_python(skip_empty_area=False)
    except MemoryError:
        return TOO_LARGE
    except BaseException:  # calamine's errors, and the PanicException a Rust panic becomes
        return DAMAGED
    pickle.dump(table, sys.stdout.buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return 0


if __name__ == "__main__":
    sys.exit(main())
