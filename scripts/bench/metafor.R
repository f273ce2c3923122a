# Times metafor on the benchmark inputs: "metafor <workload> <median ms> <runs>".
# rma.uni forms k x k matrices (diag(wi)), so k = 100,000 would need ~80 GB per matrix: those
# sizes are reported as infeasible rather than attempted.
suppressPackageStartupMessages(library(metafor))
args <- commandArgs(trailingOnly = TRUE); dir <- if (length(args)) args[1] else "bench-data"
time_it <- function(name, f) {
  s <- c(); total <- 0
  while (length(s) < 5 || (total < 1 && length(s) < 200)) {
    t <- system.time(f())[["elapsed"]]; s <- c(s, t); total <- total + t
  }
  cat(sprintf("metafor %s %.3f %d\n", name, median(s) * 1000, length(s)))
}
for (k in c(1000, 10000)) {
  d <- read.csv(file.path(dir, sprintf("generic_%d.csv", k)))
  for (m in c("REML", "DL", "PM")) time_it(sprintf("%s_k%d", tolower(m), k), function() rma(d$yi, d$vi, method = m))
}
for (k in c(100000, 1000000)) for (m in c("reml", "dl", "pm")) cat(sprintf("metafor %s_k%d infeasible 0\n", m, k))
d <- read.csv(file.path(dir, "means_1000000.csv"))
time_it("smd_escalc_k1000000", function() escalc("SMD", m1i = d$m1i, sd1i = d$sd1i, n1i = d$n1i, m2i = d$m2i, sd2i = d$sd2i, n2i = d$n2i))
