/* lib/gg.c - the Gamma-Gamma spend model (Fader, Hardie & Lee 2005). */
#include "optim.h"
