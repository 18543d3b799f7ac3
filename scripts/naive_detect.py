#!/usr/bin/env python3
"""A naive recurring-charge detector, for comparison with `tuiding scan` (scripts/bench-scan.sh).

It does the same grouping in the plainest way: decode the Alipay export (GBK), find the
header row, keep paid charges, group them by (counterparty, item), sort each group's dates,
and call a group recurring when its median gap is about a week, a month, a quarter, half a
year or a year. Usage: naive_detect.py EXPORT.csv  (prints the streams as JSON).
"""

import csv
import json
import statistics
import sys
from collections import defaultdict
from datetime import date

CADENCES = [("weekly", 7, 1), ("biweekly", 14, 2), ("monthly", 30, 4), ("quarterly", 91, 7),
            ("semiannual", 182, 10), ("yearly", 365, 15)]


def main(path):
    with open(path, encoding="gb18030", newline="") as f:
        lines = f.read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("交易时间"))
    reader = csv.reader(lines[start:])
    header = [h.strip() for h in next(reader)]
    col = {name: header.index(name) for name in header if name}
    groups = defaultdict(list)
    for row in reader:
        if len(row) < len(header) - 1 or not row[0][:1].isdigit():
            continue
        cells = [c.strip() for c in row]
        if cells[col["收/支"]] != "支出" or cells[col["交易状态"]] != "交易成功":
            continue
        day = date.fromisoformat(cells[col["交易时间"]][:10])
        fen = round(float(cells[col["金额"]]) * 100)
        groups[(cells[col["交易对方"]], cells[col["商品说明"]])].append((day, fen, cells[col["交易订单号"]]))
    streams = []
    for (merchant, item), charges in groups.items():
        if len(charges) < 3:
            continue
        charges.sort()
        gaps = [(b[0] - a[0]).days for a, b in zip(charges, charges[1:])]
        median = statistics.median(gaps)
        for name, days, tolerance in CADENCES:
            if abs(median - days) <= tolerance and len(charges) <= (charges[-1][0] - charges[0][0]).days / days + 3:
                streams.append({"merchant": merchant, "description": item, "frequency": name,
                                "transactions": [c[2] for c in charges]})
                break
    json.dump({"transactions_read": sum(len(c) for c in groups.values()), "streams": streams},
              sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1])
