"""Scalar MMSE blocks of the state-evolution chain (numba kernels).

Every block has one of three same-shaped signatures (SPEC §2), all in "pair form":
overlaps m and mses v = ρ − m are carried separately and each is computed without
cancellation, so that both m → 0 (uninformative) and v → 0 (perfect recovery) stay exact.

- prior:   (r, param, tabs)                -> (m, v)         of z (ρ_1 = 1) or of x (sparse)
- layer:   (r, s, v, rho_in, tabs)         -> (m_out, v_out, lam_in)
- channel: (m, v, rho_x, noise, tabs)      -> lam_y
"""
