"""One training run, end to end. Raises ParamError / ManifestError / InitError for input
the caller can fix; everything else is a bug or a resource problem."""
import json
import math
import os
import time

import torch

from . import data, models, onnx_export
from .loop import (CPU_MICRO_BATCH, RECAL_IMAGES, RESERVE_S, EvalSchedule, ModelEma, _batches, evaluate,
                   log, make_optimizer, pick_device, recalibrate_bn, seed_everything, train_step)
from .metrics import DEFINITION
from .params import DEFAULT_BATCH, ParamError
from .schedule import Plan, lr_at

STEP_EVENT_EVERY_S = 10.0
USE_EMA = os.environ.get("TRAINER_EMA", "1") != "0"
#: channels_last on CPU: oneDNN convolutions run ~1.7x faster than NCHW on torch 1.13.
CHANNELS_LAST = os.environ.get("TRAINER_CHANNELS_LAST", "1") == "1"


def _to(item, dev):
    return {**item, "image": item["image"].to(dev), "boxes": item["boxes"].to(dev), "labels": item["labels"].to(dev)}


def run(manifest_path, params, out_dir, events, stop, t0):
    """Train per `params`; emits start/epoch/best/done events. Returns the exit code."""
    elapsed = lambda: time.time() - t0  # noqa: E731
    if params["device"] == "cuda" and not torch.cuda.is_available():
        raise ParamError("device", "device 'cuda' requested but torch sees no CUDA device; use 'auto' or 'cpu'")
    dev = pick_device(params["device"])
    if params["batch"] is None:
        params = {**params, "batch": DEFAULT_BATCH[dev.type]}
    threads = params["threads"] or os.cpu_count() or 1
    torch.set_num_threads(threads)
    if dev.type == "cpu":
        torch.set_flush_denormal(True)  # from-scratch weights produce denormals that stall the CPU
    else:
        torch.backends.cudnn.benchmark = params["model"] == "ssdlite"
    seed_everything(params["seed"])

    classes, images = data.load_manifest(manifest_path)
    init_ck = models.load_checkpoint(params["init"]) if params["init"] else None
    os.makedirs(out_dir, exist_ok=True)
    events.attach_file(os.path.join(out_dir, "progress.jsonl"))
    out_dir = os.path.abspath(out_dir)
    paths = {k: os.path.join(out_dir, f) for k, f in
             (("best", "best.pt"), ("last", "last.pt"), ("onnx", "model.onnx"), ("metrics", "metrics.json"))}

    train_idx, val_idx = data.split_images(images, params["valSplit"], params["seed"])
    name, size, nc = params["model"], params["imgSize"], len(classes)
    dec_threads = params["workers"] or threads
    train_items, skipped = data.build_cache(images, train_idx, name, size, dec_threads)
    val_items, skipped_v = data.build_cache(images, val_idx, name, size, dec_threads)
    if not train_items:
        raise data.ManifestError("no readable training images")
    log(f"cached {len(train_items)} train / {len(val_items)} val images in {elapsed():.1f}s")

    model = models.build(name, nc, size)
    if init_ck is not None:
        try:
            log("init from", params["init"], ":", models.apply_init(model, name, classes, init_ck))
        except models.InitError as e:
            raise ParamError("init", str(e))
    model.to(dev)
    if CHANNELS_LAST and dev.type == "cpu":
        model.to(memory_format=torch.channels_last)
    model.train()
    ema = ModelEma(model) if USE_EMA else None
    eval_model = (lambda: ema.ema) if ema else (lambda: model)  # noqa: E731
    opt = make_optimizer(model, params)
    train_items = [_to(it, dev) for it in train_items]
    val_items = [_to(it, dev) for it in val_items]

    g = torch.Generator().manual_seed(params["seed"])
    spe = len(_batches(len(train_items), params["batch"], torch.Generator().manual_seed(0)))
    plan = Plan(params["epochs"], spe, params["warmupEpochs"], params["timeBudgetS"], RESERVE_S[dev.type])
    events.emit("start", device=dev.type, model=name, trainImages=len(train_items), valImages=len(val_items),
                stepsPerEpoch=spe, skippedImages=len(skipped) + len(skipped_v),
                classes=[c["key"] for c in classes], params=params)

    history, best = [], None
    step, reason = 0, "completed"
    step_times, epoch_times = [], []
    micro = CPU_MICRO_BATCH if dev.type == "cpu" else params["batch"]
    sched = EvalSchedule(params["evalEvery"], len(val_items), min(RECAL_IMAGES, len(train_items)))
    last_step_event = time.time()

    epoch = 0
    while epoch < plan.epochs:
        epoch += 1
        t_ep = time.time()
        sums, n_steps, n_imgs, bad_steps = {}, 0, 0, 0
        partial = False
        for idx in _batches(len(train_items), params["batch"], g):
            if stop.is_set:
                reason, partial = "stopped", True
                break
            t_step = time.time()
            lr = lr_at(step, plan.total_steps, plan.warmup_steps, params["lr"])
            for grp in opt.param_groups:
                grp["lr"] = lr
            out = train_step(model, opt, [train_items[i] for i in idx], params["augment"], g, micro)
            if out is None:
                bad_steps += 1
                log(f"non-finite loss at step {step}; step skipped")
                if bad_steps >= 3:
                    raise FloatingPointError("training diverged (non-finite loss); lower lr")
                continue
            if ema:
                ema.update(model)
            parts, total = out
            step += 1
            n_steps += 1
            n_imgs += len(idx)
            for k, v in parts.items():
                sums[k] = sums.get(k, 0.0) + v
            sums["_total"] = sums.get("_total", 0.0) + total
            step_times.append(time.time() - t_step)
            if step in (3, 6):  # first estimate of the pace, before the first epoch ends
                plan.replan(elapsed(), step, _pace(step_times), 0.0)
            if plan.out_of_time(elapsed()):
                reason, partial = "time-budget", True
                break
            if time.time() - last_step_event >= STEP_EVENT_EVERY_S:
                last_step_event = time.time()
                events.emit("step", epoch=epoch, step=n_steps, steps=spe, loss=sums["_total"] / n_steps,
                            lr=lr, elapsedS=round(elapsed(), 2))
        train_s = time.time() - t_ep
        if n_steps == 0 and partial:
            epoch -= 1
            break
        sched.add_train(train_s)
        if not partial:
            epoch_times.append(train_s)
        ev = {
            "epoch": epoch, "epochs": plan.epochs,
            "loss": sums.get("_total", float("nan")) / max(1, n_steps),
            "lossParts": {k: v / max(1, n_steps) for k, v in sums.items() if k != "_total"},
            "lr": lr_at(max(0, step - 1), plan.total_steps, plan.warmup_steps, params["lr"]),
            "imagesPerS": n_imgs / train_s if train_s > 0 else None,
        }
        if partial:
            ev["partial"] = True
        new_best = None
        final = epoch >= plan.epochs or (partial and reason != "stopped")
        if reason != "stopped" and sched.due(epoch, final, train_s / max(1, n_imgs)):
            t_eval = time.time()
            recalibrate_bn(eval_model(), train_items, dev, batch=micro, g=torch.Generator().manual_seed(epoch))
            res = evaluate(eval_model(), val_items, dev, nc)
            sched.add_eval(time.time() - t_eval)
            ev["valMap50"] = res["map50"]
            ev["valMap50_95"] = res["map50_95"]
            ev["valMap50PerClass"] = {classes[pc["classId"]]["key"]: pc["ap50"] for pc in res["perClass"]}
            ev["evalS"] = round(time.time() - t_eval, 2)
            # A full tie goes to the later epoch: it trained longer. A few-shot assist run's
            # one or two val photos saturate at mAP50 1.0 within a few epochs.
            if res["map50"] is not None and (best is None or (res["map50"], res["map50_95"] or 0) >= (best["map50"], best["map50_95"] or 0)):
                best = {"epoch": epoch, **res}
                models.save_checkpoint(paths["best"], eval_model(), name, size, classes, params, epoch, res["map50"])
                new_best = best
        if not partial:
            plan.replan(elapsed(), step, _pace(step_times), sched.per_epoch(epoch))
        sec_per_epoch = sum(epoch_times[-3:]) / max(1, len(epoch_times[-3:])) + sched.per_epoch(epoch)
        ev["epochs"] = plan.epochs
        ev["elapsedS"] = round(elapsed(), 2)
        eta = plan.eta_s(epoch, sec_per_epoch, RESERVE_S[dev.type] * 0.5)
        if params["timeBudgetS"]:
            eta = min(eta, max(0.0, params["timeBudgetS"] - elapsed()))
        ev["etaS"] = round(eta, 1)
        events.emit("epoch", **ev)
        history.append(ev)
        if new_best is not None:
            events.emit("best", epoch=epoch, valMap50=new_best["map50"], valMap50_95=new_best["map50_95"])
        if partial:
            break
        if params["patience"] and best is not None and epoch - best["epoch"] >= params["patience"]:
            reason = "early-stop"
            break
        if epoch >= plan.epochs and plan.epochs < params["epochs"]:
            reason = "time-budget"
            break
        if stop.is_set:
            reason = "stopped"
            break

    if not (history and "valMap50" in history[-1]):  # BN statistics of the final weights
        recalibrate_bn(eval_model(), train_items, dev, batch=micro, g=torch.Generator().manual_seed(epoch))
    return _finish(params, classes, model, eval_model(), best, history, reason, paths, dev, epoch,
                   len(train_items), len(val_items), images, train_idx, val_idx, events, elapsed)


def _pace(step_times):
    """Seconds per step, ignoring the first (warm-up, allocator, cudnn autotune) steps."""
    ts = step_times[2:] if len(step_times) > 4 else step_times[1:] or step_times
    ts = ts[-50:]
    return sum(ts) / len(ts)


def _finish(params, classes, model, final_model, best, history, reason, paths, dev, epoch,
            n_train, n_val, images, train_idx, val_idx, events, elapsed):
    name, size = params["model"], params["imgSize"]
    last_map = history[-1].get("valMap50") if history else None
    models.save_checkpoint(paths["last"], final_model, name, size, classes, params, epoch, last_map)
    export_model = models.build(name, len(classes), size)
    if best is None:
        models.save_checkpoint(paths["best"], final_model, name, size, classes, params, epoch, None)
        export_model.load_state_dict(final_model.state_dict())
    else:
        export_model.load_state_dict(models.load_checkpoint(paths["best"])["state_dict"])
    t_exp = time.time()
    input_info = onnx_export.export(export_model, paths["onnx"], size)
    try:
        check = onnx_export.verify(paths["onnx"])
    except Exception as e:  # noqa: BLE001 - a failed check is reported, the file kept
        check = f"FAILED: {type(e).__name__}: {e}"
        log("ONNX verification failed:", check)
    log(f"exported ONNX in {time.time() - t_exp:.1f}s ({check})")
    per_class = None
    if best is not None:
        per_class = [{**pc, "key": classes[pc["classId"]]["key"]} for pc in best["perClass"]]
    m = {
        "model": name,
        "imgSize": size,
        "classes": classes,
        "device": dev.type,
        "reason": reason,
        "input": {**input_info, "imgSize": size},
        "outputs": {"boxes": "float32 [N,4] x1,y1,x2,y2 input pixels", "labels": "int64 [N] class id",
                    "scores": "float32 [N] descending, >= 0.05"},
        "map": {"definition": DEFINITION, "interpolation": "coco-101", "iouThreshold": 0.5,
                "matching": "greedy by score, highest-IoU unmatched GT", "meanOver": "classes with GT",
                "evaluatedOn": "val images pre-resized by the trainer (PIL bilinear) as cached for training"},
        "best": None if best is None else {"epoch": best["epoch"], "valMap50": best["map50"],
                                           "valMap50_95": best["map50_95"], "perClass": per_class},
        "trainImages": n_train,
        "valImages": n_val,
        "split": {"train": [images[i]["path"] for i in train_idx], "val": [images[i]["path"] for i in val_idx]},
        "params": params,
        "onnxCheck": check,
        "history": history,
        "elapsedS": round(elapsed(), 2),
        "versions": _versions(),
    }
    tmp = paths["metrics"] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(_finite(m), f, ensure_ascii=False, indent=1)
    os.replace(tmp, paths["metrics"])
    events.emit("done", reason=reason, bestEpoch=best["epoch"] if best else None,
                bestValMap50=best["map50"] if best else None, onnx=paths["onnx"], checkpoint=paths["best"],
                last=paths["last"], metrics=paths["metrics"], elapsedS=round(elapsed(), 2))
    return 0


def _versions():
    """Library versions for the project report's environment section."""
    import torchvision
    return {"torch": torch.__version__, "torchvision": torchvision.__version__}


def _finite(v):
    if isinstance(v, float):
        return v if math.isfinite(v) else None
    if isinstance(v, dict):
        return {k: _finite(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_finite(x) for x in v]
    return v
