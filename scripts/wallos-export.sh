#!/usr/bin/env bash
# Writes a Wallos JSON export of N made-up memberships to stdout (the load checks import it
# with `tuiding import-from wallos`): monthly, yearly, weekly and quarterly, seven
# categories, prices from ¥5.00 up, renewing through 2027.
#   bash scripts/wallos-export.sh 1000 > wallos.json
set -euo pipefail
awk -v n="${1:?usage: wallos-export.sh N}" 'BEGIN {
  split("Monthly Yearly Weekly Quarterly", cycles, " ");
  split("视频 音乐 网盘 阅读 工具 游戏 生活", cats, " ");
  printf "[";
  for (i = 1; i <= n; i++) {
    day = (i % 28) + 1; month = (i % 12) + 1;
    printf "%s{\"Name\":\"平台%04d\",\"Payment Cycle\":\"%s\",\"Next Payment\":\"2027-%02d-%02d\",\"Renewal\":\"Automatic\",\"Category\":\"%s\",\"Payment Method\":\"AliPay\",\"Price\":\"¥%d.%02d\",\"Active\":\"Yes\"}", (i > 1 ? "," : ""), i, cycles[(i % 4) + 1], month, day, cats[(i % 7) + 1], 5 + i % 60, i % 100;
  }
  print "]";
}'
