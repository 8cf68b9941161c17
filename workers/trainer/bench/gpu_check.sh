#!/bin/bash
# Device check: the 60-second GPU target, the tests on torch 2.x + CUDA, and a
# hyper-parameter sweep whose epoch count stands in for a 10-minute 2-core CPU budget.
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
echo "== tests"
timeout 170 python3 -m unittest discover -s tests 2>&1 | tail -30
echo "== sweep"
timeout ${SWEEP_S:-330} python3 bench/sweep.py --manifest $M --out $WORK/sweep --parallel 4 \
  --base '{"epochs":40,"evalEvery":4,"threads":3}' --sets "${SETS:-$(cat bench/sweep-sets.json)}"
cp $WORK/sweep/summary.json "$OUT/sweep.json"
