#!/bin/bash
# Device check: the 60-second GPU target from scratch, the 20-second target from the base
# checkpoint, 10 queued runs on one GPU, the tests on torch 2.x + CUDA, and a
# hyper-parameter sweep whose epoch count stands in for a 10-minute 2-core CPU budget.
# The device machine has Python and torch but no Node: the TypeScript bench
# (`TRAINER_DEVICE=cuda npm run bench -- train`) is for a GPU host with the project installed.
#   bash workers/trainer/bench/gpu_check.sh OUTDIR   (needs workers/trainer/.data/s100)
OUT=${1:-/tmp/gpu-out}
WORK=/tmp/gpu-work
mkdir -p "$OUT" "$WORK"
cd "$(dirname "$0")/.." || exit 1
export PYTHONUNBUFFERED=1
nvidia-smi -L
python3 -c "import torch,torchvision;print('torch',torch.__version__,torchvision.__version__,torch.cuda.is_available())"
python3 -c "import onnx,onnxruntime;print('onnx',onnx.__version__,'ort',onnxruntime.__version__)"
M=.data/s100/manifest.json
echo "== 60 s target"
python3 bench/sweep.py --manifest $M --out $WORK/t60 --base '{"timeBudgetS":60,"epochs":300,"threads":4}' \
  --sets '[{"_name":"t60-b16"}]'
cp $WORK/t60/summary.json "$OUT/t60.json"
cp $WORK/t60/t60-b16/metrics.json "$OUT/t60-metrics.json"
echo "== 20 s from the base checkpoint (issue 18: >= 0.97)"
python3 bench/sweep.py --manifest $M --out $WORK/t20 --base '{"timeBudgetS":20,"epochs":300,"imgSize":480,"init":"base/ssdlite-rig.pt","threads":4}' \
  --sets '[{"_name":"t20-base"}]'
cp $WORK/t20/summary.json "$OUT/t20-base.json"
echo "== 10 queued runs of the GPU fast preset, TRAIN_CONCURRENCY at a time (issue 18: no OOM, fair)"
python3 bench/sweep.py --manifest $M --out $WORK/queued --parallel "${TRAIN_CONCURRENCY:-1}" \
  --base '{"timeBudgetS":30,"epochs":120,"imgSize":416,"init":"base/ssdlite-rig.pt","threads":2}' \
  --sets "$(python3 -c 'import json; print(json.dumps([{"_name": f"q{i}"} for i in range(10)]))')"
cp $WORK/queued/summary.json "$OUT/queued.json"
echo "== tests"
timeout 170 python3 -m unittest discover -s tests 2>&1 | tail -30
echo "== sweep"
timeout ${SWEEP_S:-330} python3 bench/sweep.py --manifest $M --out $WORK/sweep --parallel 4 \
  --base '{"epochs":40,"evalEvery":4,"threads":3}' --sets "${SETS:-$(cat bench/sweep-sets.json)}"
cp $WORK/sweep/summary.json "$OUT/sweep.json"
