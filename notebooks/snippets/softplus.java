// Loaded by 00-tour.ipynb with %load: a file of Java (and magics) runs as if it were a cell.

/** softplus(x) = log(1 + e^x): a smooth ReLU. */
Tensor softplus(Tensor x) {
    return x.exp().add(1).log();
}
