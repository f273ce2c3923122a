# Times JAGS on the same 365-day, three-arm N-of-1 model with a trend that Epsom solves exactly:
# "jags <workload> <ms> <runs>". One run = compile + 1,000 burn-in + 10,000 iterations of one
# chain (a modest MCMC budget; convergence checks would need more).
suppressPackageStartupMessages(library(rjags))
args <- commandArgs(trailingOnly = TRUE); dir <- if (length(args)) args[1] else "bench-data"
d <- read.csv(file.path(dir, "nof1_365.csv"))
model <- "
model {
  for (i in 1:n) { mu[i] <- alpha + b1 * (arm[i] == 1) + b2 * (arm[i] == 2) + g * day[i] }
  y[1] ~ dnorm(mu[1], prec * (1 - rho * rho))
  for (i in 2:n) {
    y[i] ~ dnorm(mu[i] + pow(rho, dd[i]) * (y[i - 1] - mu[i - 1]), prec * (1 - rho * rho) / (1 - pow(rho, 2 * dd[i])))
  }
  alpha ~ dnorm(0, 1.0E-6); b1 ~ dnorm(0, 1.0E-6); b2 ~ dnorm(0, 1.0E-6); g ~ dnorm(0, 1.0E-6)
  logsigma ~ dunif(-10, 10); prec <- exp(-2 * logsigma); rho ~ dunif(-1, 1)
}"
data <- list(y = d$pain, arm = d$arm, day = d$day - d$day[1], dd = c(1, diff(d$day)), n = nrow(d))
runs <- c()
for (r in 1:3) {
  t <- system.time({
    jm <- jags.model(textConnection(model), data = data, n.chains = 1, quiet = TRUE)
    update(jm, 1000, progress.bar = "none")
    s <- coda.samples(jm, c("b1", "b2", "rho"), n.iter = 10000, progress.bar = "none")
  })[["elapsed"]]
  runs <- c(runs, t)
}
cat(sprintf("jags nof1_365_3arms_trend %.3f %d\n", median(runs) * 1000, length(runs)))

# Pooling: the normal-normal hierarchical model with a half-normal(2) prior on tau, k = 1,000.
d <- read.csv(file.path(dir, "pool_1000.csv"))
pool <- "
model {
  for (i in 1:k) { b[i] ~ dnorm(theta[i], 1 / v[i]); theta[i] ~ dnorm(mu, 1 / (tau * tau)) }
  mu ~ dnorm(0, 1.0E-6); tau ~ dnorm(0, 0.25) T(0, )
}"
runs <- c()
for (r in 1:3) {
  t <- system.time({
    jm <- jags.model(textConnection(pool), data = list(b = d$estimate, v = d$variance, k = nrow(d)), n.chains = 1, quiet = TRUE)
    update(jm, 1000, progress.bar = "none")
    s <- coda.samples(jm, c("mu", "tau"), n.iter = 10000, progress.bar = "none")
  })[["elapsed"]]
  runs <- c(runs, t)
}
cat(sprintf("jags pool_k1000 %.3f %d\n", median(runs) * 1000, length(runs)))
cat("jags pool_k100000 not-run 0\n")
