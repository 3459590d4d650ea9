"""Reference trajectories of PyTorch's optimizers and learning-rate schedules, for OptimTorchTest.

Usage: optim_reference.py OUT.json

Writes OUT.json:
  {"torch": version,
   "cases": [{"name", "optimizer", "options": {PyTorch keyword arguments},
              "problem": "quadratic" | "linear",
              "lrs": [learning rate before each step] (optional),
              "params": {name: {"shape", "init"}},  "data": {name: {"shape", "values"}},
              "trajectory": [{param name: values after step k}, ...]}],
   "schedules": [{"name", "scheduler", "options", "lr", "epochs", "lrs": [lr after construction, after step 1, ...]}]}

Problems (the Java side repeats them exactly):
  quadratic: parameters w (2,3) and b (3) get the gradient a * p + c set directly (a and c fixed
             tensors per parameter); parameter u (4) never gets a gradient and must stay untouched.
  linear:    parameters W (3,2) and bias (2); loss = mean((x @ W + bias - y)^2), gradients by backward().

Every number is a float32 value written as a double, so it round-trips exactly.
Exit status 77 means torch is missing (the Java test then reports itself as skipped).
"""
import json
import sys

try:
    import torch
except ImportError as e:  # pragma: no cover - depends on the machine
    print("SKIP: cannot import torch: %s" % e)
    sys.exit(77)

STEPS = 6


def values(t):
    return [float(v) for v in t.detach().reshape(-1).tolist()]


def tensor_entry(t):
    return {"shape": list(t.shape), "values": values(t)}


def quadratic_problem(gen):
    params = {
        "w": torch.randn(2, 3, generator=gen),
        "b": torch.randn(3, generator=gen),
        "u": torch.randn(4, generator=gen),
    }
    data = {
        # curvatures of very different sizes, so the adaptive methods differ from plain SGD
        "a_w": torch.tensor([[0.5, 2.0, 8.0], [0.1, 1.0, 4.0]]),
        "c_w": torch.randn(2, 3, generator=gen) * 0.5,
        "a_b": torch.tensor([3.0, 0.25, 1.5]),
        "c_b": torch.randn(3, generator=gen) * 0.5,
    }
    return params, data


def linear_problem(gen):
    params = {
        "W": torch.randn(3, 2, generator=gen) * 0.5,
        "bias": torch.zeros(2),
    }
    data = {
        "x": torch.randn(4, 3, generator=gen),
        "y": torch.randn(4, 2, generator=gen),
    }
    return params, data


OPTIMIZERS = {
    "SGD": torch.optim.SGD,
    "Adagrad": torch.optim.Adagrad,
    "Adadelta": torch.optim.Adadelta,
    "RMSprop": torch.optim.RMSprop,
    "Adam": torch.optim.Adam,
}


def run_case(index, name, optimizer, options, problem="quadratic", lrs=None):
    gen = torch.Generator().manual_seed(1000 + index)
    params, data = (quadratic_problem if problem == "quadratic" else linear_problem)(gen)
    init = {k: tensor_entry(v) for k, v in params.items()}
    leaves = {k: v.clone().requires_grad_(True) for k, v in params.items()}
    opt = OPTIMIZERS[optimizer](list(leaves.values()), **options)
    trajectory = []
    for step in range(STEPS):
        if lrs is not None:
            for g in opt.param_groups:
                g["lr"] = lrs[step]
        opt.zero_grad(set_to_none=True)
        if problem == "quadratic":
            with torch.no_grad():
                leaves["w"].grad = data["a_w"] * leaves["w"] + data["c_w"]
                leaves["b"].grad = data["a_b"] * leaves["b"] + data["c_b"]
        else:
            loss = (data["x"].matmul(leaves["W"]).add(leaves["bias"]).sub(data["y"])).pow(2).mean()
            loss.backward()
        opt.step()
        trajectory.append({k: values(v) for k, v in leaves.items()})
    return {
        "name": name,
        "optimizer": optimizer,
        "options": {k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items()},
        "problem": problem,
        "lrs": lrs,
        "params": init,
        "data": {k: tensor_entry(v) for k, v in data.items()},
        "trajectory": trajectory,
    }


CASES = [
    ("sgd", "SGD", {"lr": 0.1}),
    ("sgd_momentum", "SGD", {"lr": 0.05, "momentum": 0.9}),
    ("sgd_momentum_dampening_decay", "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 0.001}),
    ("adagrad_defaults", "Adagrad", {}),
    ("adagrad_all", "Adagrad", {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.01,
                                "initial_accumulator_value": 0.1, "eps": 1e-8}),
    ("adadelta_defaults", "Adadelta", {}),
    ("adadelta_all", "Adadelta", {"lr": 0.5, "rho": 0.8, "eps": 1e-5, "weight_decay": 0.01}),
    ("rmsprop_defaults", "RMSprop", {}),
    ("rmsprop_momentum", "RMSprop", {"lr": 0.005, "alpha": 0.9, "momentum": 0.8}),
    ("rmsprop_centered", "RMSprop", {"lr": 0.005, "centered": True, "weight_decay": 0.01}),
    ("rmsprop_centered_momentum", "RMSprop", {"lr": 0.003, "centered": True, "momentum": 0.5, "eps": 1e-6}),
    ("adam_defaults", "Adam", {}),
    ("adam_betas_decay", "Adam", {"lr": 0.01, "betas": (0.8, 0.99), "weight_decay": 0.01}),
    ("adam_amsgrad", "Adam", {"lr": 0.05, "amsgrad": True}),
]

LINEAR_CASES = [
    ("linear_sgd_nesterov", "SGD", {"lr": 0.1, "momentum": 0.8, "nesterov": True}),
    ("linear_adam_amsgrad", "Adam", {"lr": 0.02, "amsgrad": True, "weight_decay": 0.001}),
    ("linear_rmsprop_centered_momentum", "RMSprop", {"lr": 0.01, "centered": True, "momentum": 0.9}),
    ("linear_adagrad", "Adagrad", {"lr": 0.2}),
    ("linear_adadelta", "Adadelta", {"lr": 2.0}),
]

# learning rates changed between steps, as a schedule or a user would
LR_CASES = [
    ("sgd_momentum_lr_changes", "SGD", {"lr": 0.05, "momentum": 0.9}, [0.05, 0.05, 0.02, 0.02, 0.01, 0.005]),
    ("adam_lr_changes", "Adam", {"lr": 0.01}, [0.01, 0.03, 0.03, 0.003, 0.003, 0.001]),
]


def schedule(name, scheduler, options, lr, epochs):
    p = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([p], lr=lr)
    sched = getattr(torch.optim.lr_scheduler, scheduler)(opt, **options)
    lrs = [sched.get_last_lr()[0]]
    for _ in range(epochs):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return {"name": name, "scheduler": scheduler, "options": options, "lr": lr, "epochs": epochs, "lrs": lrs}


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        sys.exit(2)
    torch.set_num_threads(1)
    cases = []
    index = 0
    for name, optimizer, options in CASES:
        cases.append(run_case(index, name, optimizer, options))
        index += 1
    for name, optimizer, options in LINEAR_CASES:
        cases.append(run_case(index, name, optimizer, options, problem="linear"))
        index += 1
    for name, optimizer, options, lrs in LR_CASES:
        cases.append(run_case(index, name, optimizer, options, lrs=lrs))
        index += 1
    schedules = [
        schedule("step_2_half", "StepLR", {"step_size": 2, "gamma": 0.5}, 0.1, 8),
        schedule("step_3_tenth", "StepLR", {"step_size": 3, "gamma": 0.1}, 0.1, 10),
        schedule("step_1_default_gamma", "StepLR", {"step_size": 1}, 1.0, 4),
        schedule("exponential_0_9", "ExponentialLR", {"gamma": 0.9}, 0.05, 8),
    ]
    with open(sys.argv[1], "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases, "schedules": schedules}, f)
    print("OK %d optimizer cases, %d schedules" % (len(cases), len(schedules)))


if __name__ == "__main__":
    main()
