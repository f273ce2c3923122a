# Times JAGS on the one-stage hierarchical model of a series (the model of
# scripts/fixtures/series_jags.R) for the benchmark's 1,000 participants x 84 days:
#
#   Rscript scripts/bench/series_jags_bench.R bench-data/whole/series_1000x84.csv [ITERATIONS]
#
# A converged fit at this size is out of reach here (the 20-person fixture needed 4 x 55,000
# iterations for effective sample sizes near 30,000), so this measures what one chain costs:
# compiling the model, and ITERATIONS (default 200) iterations after 100 of adaptation. It prints
# "jags series <participants> compile_s <s> per_iteration_ms <ms>".
suppressPackageStartupMessages(library(rjags))
args <- commandArgs(trailingOnly = TRUE)
iterations <- if (length(args) > 1) as.integer(args[2]) else 200
long <- read.csv(args[1], colClasses = "character")
analysed <- long[long$washout == "false" & long$pain != "", ]
analysed$day <- as.numeric(as.Date(analysed$date))
y <- as.numeric(analysed$pain); x <- as.numeric(analysed$arm == "cream")
first <- match(unique(analysed$participant), analysed$participant)
last <- c(first[-1] - 1, nrow(analysed))
d <- c(1, diff(analysed$day)); d[first] <- 1
k <- length(first)
model <- "
model {
  for (i in 1:k) {
    theta[i] ~ dnorm(mu, 1 / (tau * tau))
    alpha[i] ~ dnorm(0, 1.0E-6)
    logsigma[i] ~ dunif(-10, 10)
    prec[i] <- exp(-2 * logsigma[i])
    rho[i] ~ dunif(-1, 1)
    m[first[i]] <- alpha[i] + theta[i] * x[first[i]]
    y[first[i]] ~ dnorm(m[first[i]], prec[i] * (1 - rho[i] * rho[i]))
    for (j in (first[i] + 1):last[i]) {
      m[j] <- alpha[i] + theta[i] * x[j]
      y[j] ~ dnorm(m[j] + pow(rho[i], d[j]) * (y[j - 1] - m[j - 1]),
                   prec[i] * (1 - rho[i] * rho[i]) / (1 - pow(rho[i], 2 * d[j])))
    }
  }
  mu ~ dnorm(0, 1.0E-6)
  tau ~ dnorm(0, 0.25) T(0,)
}"
data <- list(y = y, x = x, d = d, first = first, last = last, k = k)
compile <- system.time({
  jm <- jags.model(textConnection(model), data = data, n.chains = 1, quiet = TRUE, n.adapt = 100,
                   inits = list(.RNG.name = "base::Mersenne-Twister", .RNG.seed = 1, tau = 0.5, mu = 0))
})[["elapsed"]]
sample <- system.time(coda.samples(jm, c("mu", "tau"), n.iter = iterations, progress.bar = "none"))[["elapsed"]]
cat(sprintf("jags series %d compile_s %.1f per_iteration_ms %.1f\n", k, compile, sample / iterations * 1000))
