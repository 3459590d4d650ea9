/** The layers' and losses' math as functions of tensors ({@code torch.nn.functional}): {@link dev.vectorgrad.nn.functional.F}. */
package dev.vectorgrad.nn.functional;
